import type { LinksTable } from '../db/types.js';
import type { Link } from './schema.js';

export function toLink(
  row: Pick<LinksTable, 'id' | 'code' | 'url' | 'kind' | 'product_id' | 'type' | 'status'>,
  trackingName: string,
  baseUrl: string,
): Link {
  return {
    id: row.id,
    code: row.code,
    promotionLink: `${baseUrl}/c/${row.code}`,
    url: row.url,
    kind: row.kind,
    productId: row.product_id,
    type: row.type,
    trackingId: trackingName,
    status: row.status,
  };
}
