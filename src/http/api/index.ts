/** The REST API under /api/v1 (routes come with the REST API issue). */
import express from 'express';
import type { AppDeps } from '../../app.js';

export function apiRouter(_deps: AppDeps): express.Router {
  return express.Router();
}
