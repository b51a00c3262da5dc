// Crawlers, link previewers and scripted clients that announce themselves. Their clicks are
// redirected like anyone's but stored with is_bot = 1 and never counted as clicks.
const BOT_USER_AGENT =
  /bot\b|bot\/|crawler|spider|slurp|facebookexternalhit|facebot|embedly|bingpreview|pinterest|whatsapp|skypeuripreview|google-inspectiontool|lighthouse|python-requests|python-urllib|go-http-client|curl\/|wget\/|okhttp|scrapy|ahrefs|semrush|mj12|petalbot|yandex|baiduspider|duckduckgo|applebot|ia_archiver|archive\.org/i;

export function isBotUserAgent(userAgent: string | undefined): boolean {
  return userAgent !== undefined && BOT_USER_AGENT.test(userAgent);
}
