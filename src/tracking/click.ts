/** One answered redirect, as the hot path hands it to the recorder. */
export type ClickEvent = {
  id: string;
  clickedAt: string;
  linkId: string;
  affiliateId: string;
  trackingId: string;
  subs: [string | null, string | null, string | null, string | null, string | null];
  ipHash: string;
  userAgent: string | null;
  referrer: string | null;
  country: string | null;
  isBot: boolean;
};

export const UNIQUE_WINDOW_MS = 60 * 60 * 1000;
