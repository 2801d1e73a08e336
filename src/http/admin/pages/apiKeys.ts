/**
 * API keys: create (the key is shown once, in the answer to the form, and never stored or shown
 * again), list and revoke. services.tokens decides who may do this and what a valid key request is.
 */
import type express from 'express';
import type { Request, Response } from 'express';
import { ValidationError } from '../../../domain/errors.js';
import type { Services } from '../../../services/index.js';
import type { CreatedToken } from '../../../services/apiTokens.js';
import { TOKEN_KINDS, type TokenKind } from '../../../store/apiTokens.js';
import { currentActor } from '../auth.js';
import { fields, formBody, type FormErrors } from '../forms/fields.js';
import { flash, renderPage } from '../render.js';

const KEY_FIELDS = ['kind', 'userId', 'name'] as const;
type KeyFormValues = Record<(typeof KEY_FIELDS)[number], string>;
const EMPTY_KEY: KeyFormValues = { kind: 'service', userId: '', name: '' };
const isKind = (kind: string): kind is TokenKind => (TOKEN_KINDS as readonly string[]).includes(kind);

interface KeysPageState {
  form: KeyFormValues;
  errors: FormErrors;
  created: CreatedToken | null;
}

async function showKeysPage(req: Request, res: Response, services: Services, state: Partial<KeysPageState> = {}): Promise<void> {
  const includeRevoked = req.query.revoked === '1';
  const tokens = await services.tokens.list(currentActor(req), { includeRevoked });
  await renderPage(req, res, 'admin/apiKeys', {
    title: 'API keys',
    nav: 'keys',
    tokens,
    includeRevoked,
    kinds: TOKEN_KINDS,
    form: state.form ?? EMPTY_KEY,
    errors: state.errors ?? {},
    created: state.created ?? null,
  });
}

export function apiKeysPage(router: express.Router, services: Services): void {
  router.get('/keys', async (req, res) => {
    await showKeysPage(req, res, services);
  });

  router.post('/keys', async (req, res) => {
    const typed = fields(formBody(req), KEY_FIELDS);
    const form: KeyFormValues = { kind: typed.kind ?? '', userId: typed.userId?.trim() ?? '', name: typed.name?.trim() ?? '' };
    const kind = form.kind;
    if (!isKind(kind)) {
      res.status(422);
      await showKeysPage(req, res, services, { form, errors: { kind: [`must be one of ${TOKEN_KINDS.join(', ')}`] } });
      return;
    }
    try {
      const created = await services.tokens.create(currentActor(req), {
        kind,
        userId: form.userId === '' ? undefined : form.userId,
        name: form.name === '' ? undefined : form.name,
      });
      res.status(201);
      await showKeysPage(req, res, services, { created });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(422);
      await showKeysPage(req, res, services, { form, errors: Object.keys(err.fields).length > 0 ? err.fields : { _: [err.message] } });
    }
  });

  router.post('/keys/:id/revoke', async (req, res) => {
    const revoked = await services.tokens.revoke(currentActor(req), req.params.id);
    flash(req, { kind: 'success', text: `Key ${revoked.prefix}… revoked. It stops working at once.` });
    res.redirect(303, '/admin/keys');
  });
}
