/** The `model_prices` collection: the editable price table, seeded with list prices. */
import { Schema, type Connection, type Model } from 'mongoose';
import type { ModelPrice } from '../domain/pricing.js';

type PriceDoc = ModelPrice & { updatedAt: Date; updatedBy: string };

const schema = new Schema<PriceDoc>(
  {
    model: { type: String, required: true },
    provider: { type: String, required: true },
    inputPerMillion: { type: Number, required: true },
    outputPerMillion: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { versionKey: false, collection: 'model_prices' },
);
schema.index({ model: 1 }, { unique: true });

function toPrice(doc: PriceDoc): ModelPrice {
  return { model: doc.model, provider: doc.provider, inputPerMillion: doc.inputPerMillion, outputPerMillion: doc.outputPerMillion };
}

export class PriceStore {
  constructor(private readonly model: Model<PriceDoc>) {}

  async all(): Promise<ModelPrice[]> {
    const docs = await this.model.find({}).sort({ provider: 1, model: 1 }).lean<PriceDoc[]>().exec();
    return docs.map(toPrice);
  }

  async upsert(price: ModelPrice, by: string, now: Date): Promise<void> {
    await this.model.updateOne({ model: price.model }, { $set: { ...price, updatedAt: now, updatedBy: by } }, { upsert: true }).exec();
  }

  async remove(model: string): Promise<boolean> {
    const result = await this.model.deleteOne({ model }).exec();
    return result.deletedCount === 1;
  }

  /** Adds the seed prices that are missing; never overwrites an admin's edit. */
  async seed(prices: readonly ModelPrice[], now: Date): Promise<void> {
    await this.model.bulkWrite(
      prices.map((p) => ({
        updateOne: { filter: { model: p.model }, update: { $setOnInsert: { ...p, updatedAt: now, updatedBy: 'seed' } }, upsert: true },
      })),
      { ordered: false },
    );
  }
}

export function priceStore(connection: Connection): PriceStore {
  return new PriceStore(connection.model<PriceDoc>('ModelPrice', schema));
}
