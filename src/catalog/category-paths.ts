import { createHash } from 'node:crypto';
import type { Ctx } from '../context.js';
import { createCategory } from './create-category.js';

const MAX_REMEMBERED = 100_000;

/**
 * Resolves "Home > Kitchen > Knives" paths to category ids, creating missing levels;
 * remembers what it has seen, so a large import asks the database once per path.
 */
export class CategoryPaths {
  readonly #ids = new Map<string, string>();
  readonly #byText = new Map<string, string>();
  readonly #ctx: Ctx;

  constructor(ctx: Ctx) {
    this.#ctx = ctx;
  }

  /** The id of a path seen before, by its text as written; undefined until resolved once. */
  known(pathText: string): string | undefined {
    return this.#byText.get(pathText);
  }

  async resolve(levels: readonly string[], pathText?: string): Promise<string> {
    let parentId: string | null = null;
    for (let depth = 1; depth <= levels.length; depth += 1) {
      const path = levels.slice(0, depth);
      const key = path.join(' > ');
      let id = this.#ids.get(key);
      if (id === undefined) {
        id = await this.#findOrCreate(path, parentId);
        this.#ids.set(key, id);
      }
      parentId = id;
    }
    if (parentId === null) throw new RangeError('empty category path');
    if (pathText !== undefined && this.#byText.size < MAX_REMEMBERED)
      this.#byText.set(pathText, parentId);
    return parentId;
  }

  async #findOrCreate(path: readonly string[], parentId: string | null): Promise<string> {
    const name = path[path.length - 1] as string;
    let query = this.#ctx.db.selectFrom('categories').select('id').where('name', '=', name);
    query =
      parentId === null
        ? query.where('parent_id', 'is', null)
        : query.where('parent_id', '=', parentId);
    const found = await query.executeTakeFirst();
    if (found) return found.id;
    const id = categoryIdFor(path);
    await createCategory(this.#ctx, { id, name, parentId });
    return id;
  }
}

/** A readable id from the path ("home-garden/kitchen"), or a digest when that is too long. */
export function categoryIdFor(path: readonly string[]): string {
  const slug = path
    .map(
      (level) =>
        level
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '') || 'x',
    )
    .join('/');
  if (slug.length <= 64) return slug;
  return `cat-${createHash('sha256').update(path.join('\u0000')).digest('hex').slice(0, 16)}`;
}
