import { categoryLineages } from '../catalog/list-categories.js';
import { countByCategory } from '../catalog/search-products.js';
import type { Db } from '../db/types.js';
import type { Storefront } from './schema.js';
import { productSetOf } from './store-products.js';

/** More categories than a store's menu can sensibly hold; the rest are not listed. */
const MAX_STORE_LEAVES = 2_000;

export type StoreCategory = {
  id: string;
  name: string;
  /** The parent within the store's tree; null for the store's top categories. */
  parentId: string | null;
  /** The store's products in this category and below. */
  count: number;
};

export type StoreCategoryTree = {
  byId: ReadonlyMap<string, StoreCategory>;
  /** The store's top categories, by name. */
  roots: StoreCategory[];
  childrenOf(id: string): StoreCategory[];
  /** The path from the store's top down to this category. */
  pathTo(id: string): StoreCategory[];
};

/**
 * The categories a store's products sit in, as a tree: the store's chosen categories at the
 * top (what lies above them is not the store's), or the catalog's top levels for products
 * chosen by keyword or id outside them. Each counts the store's products at and below it;
 * a category without any is not in the tree, so it has no page.
 */
export async function storeCategories(db: Db, store: Storefront): Promise<StoreCategoryTree> {
  const counts = await countByCategory(db, { within: productSetOf(store) }, MAX_STORE_LEAVES);
  const lineages = await categoryLineages(
    db,
    counts.map((c) => c.categoryId),
  );
  const chosen = new Set(store.categoryIds);
  const byId = new Map<string, StoreCategory>();
  for (const { categoryId, count } of counts) {
    const lineage = lineages.get(categoryId) ?? [];
    const top = lineage.findIndex((c) => chosen.has(c.id));
    const path = top >= 0 ? lineage.slice(top) : lineage;
    let parentId: string | null = null;
    for (const level of path) {
      const node = byId.get(level.id) ?? { id: level.id, name: level.name, parentId, count: 0 };
      node.count += count;
      byId.set(level.id, node);
      parentId = level.id;
    }
  }
  return treeOf(byId.values());
}

/** A tree of these categories (each parent among them, or null at the top). */
export function treeOf(nodes: Iterable<StoreCategory>): StoreCategoryTree {
  const byId = new Map<string, StoreCategory>();
  for (const node of nodes) byId.set(node.id, node);
  const children = new Map<string | null, StoreCategory[]>();
  for (const node of byId.values()) {
    const list = children.get(node.parentId) ?? [];
    list.push(node);
    children.set(node.parentId, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return {
    byId,
    roots: children.get(null) ?? [],
    childrenOf: (id) => children.get(id) ?? [],
    pathTo(id) {
      const path: StoreCategory[] = [];
      let node = byId.get(id);
      while (node && path.length < 32) {
        path.unshift(node);
        node = node.parentId === null ? undefined : byId.get(node.parentId);
      }
      return path;
    },
  };
}
