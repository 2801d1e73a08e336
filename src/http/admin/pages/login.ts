/**
 * Sign-in and sign-out. Two ways in: an admin token typed on /admin/login (ADMIN_API_TOKEN or an
 * admin API key; other kinds of token are refused), or a one-time link from Slack
 * (`/budget admin login`). The link's GET only shows a button: link previewers and scanners that
 * fetch URLs must not use up the link, so it is consumed by the POST.
 */
import type express from 'express';
import type { Services } from '../../../services/index.js';
import { safeNext, signIn, signOut } from '../auth.js';
import { field, formBody } from '../forms/fields.js';
import { flash, renderPage } from '../render.js';

export function loginPages(router: express.Router, services: Services, limiter: express.RequestHandler): void {
  router.get('/login', async (req, res) => {
    if (req.session.admin) {
      res.redirect(303, safeNext(req.query.next));
      return;
    }
    const signedOut = req.query.signedOut === '1';
    await renderPage(req, res, 'admin/login', { title: 'Sign in', next: safeNext(req.query.next), errors: {}, signedOut });
  });

  router.post('/login', limiter, async (req, res) => {
    const body = formBody(req);
    const token = field(body, 'token')?.trim() ?? '';
    const next = safeNext(field(body, 'next'));
    const actor = token === '' ? null : await services.tokens.authenticate(token);
    if (!actor || actor.kind !== 'admin') {
      const message = token === '' ? 'Enter an admin token.' : 'That is not a valid admin token. Use ADMIN_API_TOKEN or an admin API key.';
      await renderPage(req, res.status(token === '' ? 400 : 401), 'admin/login', { title: 'Sign in', next, errors: { token: [message] }, signedOut: false });
      return;
    }
    await signIn(req, actor, 'token');
    flash(req, { kind: 'success', text: 'Signed in.' });
    res.redirect(303, next);
  });

  router.get('/login/:token', async (req, res) => {
    await renderPage(req, res, 'admin/loginLink', { title: 'Sign in', token: req.params.token, errors: {} });
  });

  router.post('/login/:token', limiter, async (req, res) => {
    const token = typeof req.params.token === 'string' ? req.params.token : '';
    const actor = await services.adminLogin.consume(token);
    if (!actor) {
      await renderPage(req, res.status(401), 'admin/loginLink', {
        title: 'Sign in',
        token,
        errors: { token: ['This sign-in link has expired or was already used. Ask for a new one with /budget admin login in Slack.'] },
      });
      return;
    }
    await signIn(req, actor, 'link');
    flash(req, { kind: 'success', text: 'Signed in.' });
    res.redirect(303, '/admin');
  });

  router.post('/logout', async (req, res) => {
    await signOut(req, res);
    res.redirect(303, '/admin/login?signedOut=1');
  });
}
