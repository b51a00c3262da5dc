/** Where the seller API lives, and its tag in the OpenAPI document. */
export const SELLER_PREFIX = '/api/seller/v1';
export const sellerTags = ['seller'];
