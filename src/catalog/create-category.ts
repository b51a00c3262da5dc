import { z } from 'zod';
import type { Ctx } from '../context.js';
import { isUniqueViolation } from '../db/connection.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { parseInput } from '../lib/parse-input.js';
import { externalId } from './schema.js';

const MAX_LEVEL = 6;
const categoryInput = z
  .object({
    id: externalId,
    name: z.string().trim().min(1).max(200),
    parentId: externalId.nullable().optional(),
  })
  .strict();

/** Adds a category under a parent (or at the root); the tree is at most six levels deep. */
export async function createCategory(
  ctx: Ctx,
  input: z.input<typeof categoryInput>,
): Promise<{ id: string; level: number }> {
  const category = parseInput(categoryInput, input);
  let level = 1;
  if (category.parentId) {
    const parent = await ctx.db
      .selectFrom('categories')
      .select('level')
      .where('id', '=', category.parentId)
      .executeTakeFirst();
    if (!parent)
      throw new AppError('category_not_found', `no parent category ${category.parentId}`);
    level = Number(parent.level) + 1;
    if (level > MAX_LEVEL)
      throw new AppError('invalid_request', `categories nest at most ${MAX_LEVEL} levels deep`);
  }
  try {
    await ctx.db
      .insertInto('categories')
      .values({
        id: category.id,
        parent_id: category.parentId ?? null,
        name: category.name,
        level,
        created_at: toDbTime(ctx.clock.now()),
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('duplicate_id', `category ${category.id} already exists`);
    throw error;
  }
  return { id: category.id, level };
}
