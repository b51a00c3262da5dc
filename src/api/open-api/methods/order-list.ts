import {
  affiliateSubOrdersAfter,
  affiliateSubOrdersByIds,
  listAffiliateSubOrders,
  MAX_SUB_ORDER_PAGE,
  type SubOrderFilter,
  type SubOrderTime,
} from '../../../orders/affiliate-sub-orders.js';
import { invalid } from '../errors.js';
import type { OpenApiMethod } from '../method.js';
import {
  intParam,
  listParam,
  lookup,
  type Params,
  parsePlatformTime,
  pickFields,
  required,
} from '../params.js';
import { ORDER_STATUSES, orderRows } from './order-row.js';

const TIME_TYPES: Record<string, SubOrderTime> = {
  'Payment Completed Time': 'paid',
  'Buyer Confirmed Receipt Time': 'confirmed',
  'Completed Settlement Time': 'settled',
};
/** Offsets past this many rows are refused: page through order.listbyindex instead. */
const MAX_OFFSET = 100_000;

function filterOf(params: Params): SubOrderFilter {
  const from = parsePlatformTime(required(params, 'start_time'));
  if (!from) throw invalid('start_time', 'yyyy-MM-dd HH:mm:ss');
  const to = parsePlatformTime(required(params, 'end_time'));
  if (!to) throw invalid('end_time', 'yyyy-MM-dd HH:mm:ss');
  if (to < from) throw invalid('end_time', 'before start_time');
  const label = required(params, 'status');
  const status = lookup(ORDER_STATUSES, label);
  if (!status) throw invalid('status', Object.keys(ORDER_STATUSES).join(', '));
  const timeType = params.time_type || 'Payment Completed Time';
  const time = lookup(TIME_TYPES, timeType);
  if (!time) throw invalid('time_type', Object.keys(TIME_TYPES).join(', '));
  return { from, to, status, time };
}

/** aliexpress.affiliate.order.list: the caller's sub-orders in a time range, a page at a time. */
export const orderList: OpenApiMethod = {
  name: 'aliexpress.affiliate.order.list',
  async handle({ ctx, affiliateId, params }) {
    const filter = filterOf(params);
    const pageNo = intParam(params, 'page_no', 1, 1_000_000, 1);
    const pageSize = intParam(params, 'page_size', 1, MAX_SUB_ORDER_PAGE, 20);
    if ((pageNo - 1) * pageSize > MAX_OFFSET)
      throw invalid('page_no', `beyond ${MAX_OFFSET} orders: use order.listbyindex`);
    const { total, subOrders } = await listAffiliateSubOrders(ctx.db, affiliateId, filter, {
      offset: (pageNo - 1) * pageSize,
      limit: pageSize,
    });
    if (total === 0) return null;
    return {
      current_page_no: pageNo,
      current_record_count: subOrders.length,
      total_page_no: Math.ceil(total / pageSize),
      total_record_count: total,
      orders: { order: pickFields(await orderRows(ctx, affiliateId, subOrders), params) },
    };
  },
};

/**
 * aliexpress.affiliate.order.listbyindex: as order.list, paged by a cursor: pass the
 * previous answer's max_query_index_id as start_query_index_id.
 */
export const orderListByIndex: OpenApiMethod = {
  name: 'aliexpress.affiliate.order.listbyindex',
  async handle({ ctx, affiliateId, params }) {
    const filter = filterOf(params);
    const pageSize = intParam(params, 'page_size', 1, MAX_SUB_ORDER_PAGE, 20);
    const after = params.start_query_index_id || undefined;
    if (after !== undefined && after.length > 64) throw invalid('start_query_index_id', 'too long');
    const subOrders = await affiliateSubOrdersAfter(ctx.db, affiliateId, filter, {
      after,
      limit: pageSize,
    });
    if (subOrders.length === 0) return null;
    return {
      current_record_count: subOrders.length,
      min_query_index_id: subOrders[0]?.subOrderId,
      max_query_index_id: subOrders.at(-1)?.subOrderId,
      orders: { order: pickFields(await orderRows(ctx, affiliateId, subOrders), params) },
    };
  },
};

/** aliexpress.affiliate.order.get: the caller's sub-orders by id (others are not found). */
export const orderGet: OpenApiMethod = {
  name: 'aliexpress.affiliate.order.get',
  async handle({ ctx, affiliateId, params }) {
    required(params, 'order_ids');
    const ids = listParam(params, 'order_ids', MAX_SUB_ORDER_PAGE);
    const subOrders = await affiliateSubOrdersByIds(ctx.db, affiliateId, ids);
    if (subOrders.length === 0) return null;
    return {
      current_record_count: subOrders.length,
      orders: { order: pickFields(await orderRows(ctx, affiliateId, subOrders), params) },
    };
  },
};
