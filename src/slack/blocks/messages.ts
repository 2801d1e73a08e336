/** Fixed one-line answers, shared by commands, App Home and tests. */
export const HIDDEN_BUDGET_LINE = 'Your budget is managed by an admin.';
export const ADMIN_ONLY_LINE = 'The `/budget admin` commands are for Budget Bot admins only.';
export const INTERNAL_ERROR_LINE = 'Something went wrong on our side. Please try again in a minute.';
