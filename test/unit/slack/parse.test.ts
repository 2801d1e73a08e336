import { describe, expect, it } from 'vitest';
import { parseAmount, parseCommand, parseMention } from '../../../src/slack/parse.js';

const USD = 1_000_000;

describe('parseCommand', () => {
  it.each([
    ['', { name: 'status' }],
    ['   ', { name: 'status' }],
    ['status', { name: 'status' }],
    ['STATUS', { name: 'status' }],
    ['usage', { name: 'usage', range: 'current' }],
    ['usage 7D', { name: 'usage', range: '7d' }],
    ['usage 30d', { name: 'usage', range: '30d' }],
    ['history', { name: 'history' }],
    ['reset  new   project  ', { name: 'reset', reason: 'new   project' }],
    ['limit 75', { name: 'limit', amountMicros: 75 * USD }],
    ['limit $1,250.50', { name: 'limit', amountMicros: 1_250_500_000 }],
    ['limit 0', { name: 'limit', amountMicros: 0 }],
    ['limit 10000usd', { name: 'limit', amountMicros: 10_000 * USD }],
    ['token', { name: 'token' }],
    ['help', { name: 'help' }],
    ['?', { name: 'help' }],
    ['admin', { name: 'admin-help' }],
    ['admin list', { name: 'admin-list' }],
    ['admin login', { name: 'admin-login' }],
    ['admin show <@U0123ABCD|alex>', { name: 'admin-show', userId: 'U0123ABCD' }],
    ['admin show <@W0123ABCD>', { name: 'admin-show', userId: 'W0123ABCD' }],
    ['admin show U0123ABCD', { name: 'admin-show', userId: 'U0123ABCD' }],
    ['admin limit <@U0123ABCD|alex> 100', { name: 'admin-limit', userId: 'U0123ABCD', amountMicros: 100 * USD }],
    ['admin reset <@U0123ABCD|alex>  end of quarter', { name: 'admin-reset', userId: 'U0123ABCD', reason: 'end of quarter' }],
    ['admin allow <@U0123ABCD|alex> modify', { name: 'admin-permission', userId: 'U0123ABCD', allow: true, permissions: ['modify'] }],
    ['admin deny <@U0123ABCD|a b> visible, reset', { name: 'admin-permission', userId: 'U0123ABCD', allow: false, permissions: ['visible', 'reset'] }],
  ])('"%s" parses', (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });

  it.each([
    ['frob', "I don't know `/budget frob`. Try `/budget help` to see what you can do."],
    ['status please', 'Usage: `/budget status`'],
    ['usage 1y', 'Usage: `/budget usage [current|7d|30d]` — for example `/budget usage 7d`'],
    ['limit', 'The limit must be an amount in dollars, like 75 or $120.50. Usage: `/budget limit <amount>` — for example `/budget limit 75`'],
    ['limit -5', 'The limit must be an amount in dollars, like 75 or $120.50. Usage: `/budget limit <amount>` — for example `/budget limit 75`'],
    ['limit 1.234', 'The limit must be an amount in dollars, like 75 or $120.50. Usage: `/budget limit <amount>` — for example `/budget limit 75`'],
    ['limit 10000.01', 'The limit must be an amount between $0 and $10,000. Usage: `/budget limit <amount>` — for example `/budget limit 75`'],
    ['limit 5 10', 'The limit must be an amount in dollars, like 75 or $120.50. Usage: `/budget limit <amount>` — for example `/budget limit 75`'],
    ['reset', 'A reason is required. Usage: `/budget reset <reason>` — for example `/budget reset starting a new project`'],
    ['reset ok', 'The reason must be at least 3 characters. Usage: `/budget reset <reason>` — for example `/budget reset starting a new project`'],
    ['admin frob', "I don't know `/budget admin frob`. Try `/budget admin help`."],
    ['admin show', 'Name the user. Usage: `/budget admin show @user` — for example `/budget admin show @alex`'],
    ['admin show <!channel>', "I could not tell who `&lt;!channel&gt;` is: pick the person from Slack's @-mention list. Usage: `/budget admin show @user`"],
    ['admin allow <@U0123ABCD>', 'Say which permission: visible, modify or reset. Usage: `/budget admin allow @user visible|modify|reset`'],
    ['admin deny <@U0123ABCD> admin', 'Say which permission: visible, modify or reset. Usage: `/budget admin deny @user visible|modify|reset`'],
    ['admin reset <@U0123ABCD>', 'A reason is required. Usage: `/budget admin reset @user <reason>` — for example `/budget admin reset @alex new quarter`'],
    ['reset ' + 'x'.repeat(501), 'The reason must be at most 500 characters. Usage: `/budget reset <reason>` — for example `/budget reset starting a new project`'],
    ['admin limit <@U0123ABCD>', 'The limit must be an amount in dollars, like 75 or $120.50. Usage: `/budget admin limit @user <amount>` — for example `/budget admin limit @alex 100`'],
  ])('"%s" gets a one-line hint', (text, hint) => {
    const result = parseCommand(text);
    expect(result).toEqual({ ok: false, hint });
    expect(hint).not.toContain('\n');
  });
});

describe('mentions and amounts', () => {
  it('reads escaped mentions with or without a name, and bare ids', () => {
    expect(parseMention('<@U12AB|first.last>')).toBe('U12AB');
    expect(parseMention('<@U12AB>')).toBe('U12AB');
    expect(parseMention('U12AB')).toBe('U12AB');
    expect(parseMention('@alex')).toBeNull();
    expect(parseMention('<#C123|general>')).toBeNull();
    expect(parseMention('<@u12ab>')).toBeNull();
    expect(parseMention(undefined)).toBeNull();
  });

  it('reads dollars to micro-dollars exactly', () => {
    expect(parseAmount('23.45')).toEqual({ ok: true, micros: 23_450_000 });
    expect(parseAmount('$0.1')).toEqual({ ok: true, micros: 100_000 });
    expect(parseAmount('1,000')).toEqual({ ok: true, micros: 1_000 * USD });
    expect(parseAmount('1,00')).toMatchObject({ ok: false });
    expect(parseAmount('NaN')).toMatchObject({ ok: false });
    expect(parseAmount('1e3')).toMatchObject({ ok: false });
  });
});
