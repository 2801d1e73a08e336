/**
 * Newest-first pages of a user's log entries (resets, settings changes). The cursor is the id of
 * the last entry of the previous page: ObjectIds grow with time, so `_id < cursor` is "older".
 */
import { Types, type Model } from 'mongoose';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export async function newestFirst<D extends { _id: Types.ObjectId }, T extends { id: string }>(
  model: Model<D>,
  userId: string,
  limit: number,
  cursor: string | null,
  map: (doc: D) => T,
): Promise<Page<T>> {
  const filter: Record<string, unknown> = { userId };
  if (cursor) filter._id = { $lt: new Types.ObjectId(cursor) };
  // One more than asked for tells whether another page follows.
  const docs = await model.find(filter).sort({ _id: -1 }).limit(limit + 1).lean<D[]>().exec();
  const items = docs.slice(0, limit).map(map);
  const last = items[items.length - 1];
  return { items, nextCursor: docs.length > limit && last ? last.id : null };
}
