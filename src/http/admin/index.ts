/** The admin web page under /admin (pages come with the admin page issue). */
import express from 'express';
import type { AppDeps } from '../../app.js';

export function adminRouter(_deps: AppDeps): express.Router {
  return express.Router();
}
