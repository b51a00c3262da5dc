import type { FastifyInstance } from 'fastify';
import { setCommissionRate } from '../../catalog/set-commission-rate.js';
import { setEnrollment } from '../../catalog/set-enrollment.js';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { parseForm } from '../forms.js';
import { operatorOf } from '../guards.js';
import { seeOther } from '../plugin.js';
import {
  enrollmentForm,
  planErrorField,
  refusedForm,
  removeRuleForm,
  storeRateForm,
} from './plan-forms.js';
import { showStore } from './store.js';

type Store = { Params: { storeId: string } };
const ENROLL_NAMES = { targetId: 'enrollTarget', effectiveFrom: 'enrollFrom' };

/** POST /console/sellers/:storeId/rates|rates/remove|enrollments — change a store's plan. */
export function storeForms(web: FastifyInstance, ctx: Ctx): void {
  const back = (storeId: string, done: string) =>
    `/console/sellers/${encodeURIComponent(storeId)}?done=${done}`;

  // POST /console/sellers/:storeId/rates — a store default, category, product or hot-product rate
  web.post<Store>('/console/sellers/:storeId/rates', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const { storeId } = request.params;
    const form = parseForm(storeRateForm(ctx.clock.now()), request.body);
    if (!form.ok)
      return showStore(ctx, request, reply, operator, storeId, { rate: form.state, status: 422 });
    const { scope, targetId, rate, effectiveFrom } = form.data;
    try {
      await setCommissionRate(ctx, {
        scope,
        storeId,
        rateBp: rate,
        createdBy: operator.email,
        ...(targetId ? { targetId } : {}),
        ...(effectiveFrom ? { effectiveFrom } : {}),
      });
    } catch (error) {
      if (!isAppError(error) || error.code === 'store_not_found') throw error;
      const state = refusedForm(form.values, error, planErrorField(error));
      return showStore(ctx, request, reply, operator, storeId, { rate: state, status: 422 });
    }
    return seeOther(reply, back(storeId, 'rate'));
  });

  // POST /console/sellers/:storeId/rates/remove — a rule taken out from now on
  web.post<Store>('/console/sellers/:storeId/rates/remove', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const { storeId } = request.params;
    const form = parseForm(removeRuleForm(), request.body);
    const refuse = (message: string) =>
      showStore(ctx, request, reply, operator, storeId, {
        rate: { values: { scope: 'store' }, errors: {}, message },
        status: 422,
      });
    if (!form.ok) return refuse('That rule could not be removed: reload the page and try again.');
    const { scope, targetId } = form.data;
    try {
      await setCommissionRate(ctx, {
        scope,
        storeId,
        rateBp: null,
        createdBy: operator.email,
        ...(targetId ? { targetId } : {}),
      });
    } catch (error) {
      if (!isAppError(error) || error.code === 'store_not_found') throw error;
      return refuse(error.message);
    }
    return seeOther(reply, back(storeId, 'removed'));
  });

  // POST /console/sellers/:storeId/enrollments — the store, a category or a product in or out
  web.post<Store>('/console/sellers/:storeId/enrollments', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const { storeId } = request.params;
    const form = parseForm(enrollmentForm(ctx.clock.now()), request.body);
    if (!form.ok)
      return showStore(ctx, request, reply, operator, storeId, { enroll: form.state, status: 422 });
    const { enrollScope, enrollTarget, enrolled, enrollFrom } = form.data;
    try {
      await setEnrollment(ctx, {
        storeId,
        scope: enrollScope,
        enrolled: enrolled === 'yes',
        createdBy: operator.email,
        ...(enrollTarget ? { targetId: enrollTarget } : {}),
        ...(enrollFrom ? { effectiveFrom: enrollFrom } : {}),
      });
    } catch (error) {
      if (!isAppError(error) || error.code === 'store_not_found') throw error;
      const state = refusedForm(form.values, error, planErrorField(error, ENROLL_NAMES));
      return showStore(ctx, request, reply, operator, storeId, { enroll: state, status: 422 });
    }
    return seeOther(reply, back(storeId, 'enrolled'));
  });
}
