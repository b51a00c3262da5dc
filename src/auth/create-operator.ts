import { z } from 'zod';
import type { Ctx } from '../context.js';
import { parseInput } from '../lib/parse-input.js';
import { createUser } from './create-user.js';
import { email, password } from './schema.js';

const operatorInput = z.object({ email, password }).strict();

/** An operator: program staff who approve affiliates, set policy and run payouts. */
export async function createOperator(
  ctx: Ctx,
  input: z.input<typeof operatorInput>,
): Promise<{ id: string; email: string }> {
  const operator = parseInput(operatorInput, input);
  return createUser(ctx, { ...operator, role: 'operator' });
}
