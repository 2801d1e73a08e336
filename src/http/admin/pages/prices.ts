/**
 * The model price table: list, add, edit and remove. Saved through services.prices (PriceBook), which
 * refreshes this process's cache at once; usage recorded after a change is priced with it.
 */
import type express from 'express';
import type { Request, Response } from 'express';
import { actorId } from '../../../domain/actor.js';
import { NotFoundError } from '../../../domain/errors.js';
import type { Services } from '../../../services/index.js';
import { currentActor } from '../auth.js';
import { formBody, field, type FormErrors } from '../forms/fields.js';
import { EMPTY_PRICE, parsePriceForm, priceValuesOf, valuesFrom, type PriceFormValues } from '../forms/priceForm.js';
import { flash, renderPage } from '../render.js';

interface PricesPageState {
  form: PriceFormValues;
  errors: FormErrors;
  /** Editing an existing model (its name is fixed) rather than adding one. */
  editing: boolean;
}

async function showPricesPage(req: Request, res: Response, services: Services, state: Partial<PricesPageState> = {}): Promise<void> {
  const prices = (await services.prices.all()).sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
  await renderPage(req, res, 'admin/prices', {
    title: 'Model prices',
    nav: 'prices',
    prices: prices.map((p) => ({ ...p, href: `/admin/prices/${encodeURIComponent(p.model)}` })),
    form: state.form ?? EMPTY_PRICE,
    errors: state.errors ?? {},
    editing: state.editing ?? false,
  });
}

export function pricesPage(router: express.Router, services: Services): void {
  router.get('/prices', async (req, res) => {
    await showPricesPage(req, res, services);
  });

  router.get('/prices/:model', async (req, res) => {
    const price = await services.prices.find(req.params.model);
    if (!price) throw new NotFoundError(`No price for model ${req.params.model}`);
    await showPricesPage(req, res, services, { form: priceValuesOf(price), editing: true });
  });

  router.post('/prices', async (req, res) => {
    const body = formBody(req);
    const editing = field(body, 'editing') === 'yes';
    const parsed = parsePriceForm(body);
    if (!parsed.ok) {
      res.status(422);
      await showPricesPage(req, res, services, { form: valuesFrom(body), errors: parsed.errors, editing });
      return;
    }
    await services.prices.save(parsed.price, actorId(currentActor(req)));
    flash(req, { kind: 'success', text: `Saved the price of ${parsed.price.model}.` });
    res.redirect(303, '/admin/prices');
  });

  router.post('/prices/:model/delete', async (req, res) => {
    const removed = await services.prices.remove(req.params.model);
    if (!removed) throw new NotFoundError(`No price for model ${req.params.model}`);
    flash(req, { kind: 'success', text: `Removed the price of ${req.params.model}. Usage of it without a reported cost is now refused.` });
    res.redirect(303, '/admin/prices');
  });
}
