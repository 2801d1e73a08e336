/** The personal API token, shown once. Pure. */
import { context, section, type SlackMessage } from './format.js';

export function tokenMessage(secret: string, publicUrl: string | undefined): SlackMessage {
  const api = publicUrl === undefined ? 'the Budget Bot API (`/api/v1`)' : `${publicUrl}/api/v1`;
  return {
    text: 'Your personal Budget Bot API token (shown only this once).',
    blocks: [
      section(`*Your personal API token*\n\`\`\`${secret}\`\`\``),
      context(
        `Shown only this once: store it now (a password manager is a good place). Send it as \`Authorization: Bearer <token>\` to ${api}. ` +
          'It acts as you, with your permissions; ask an admin to revoke it if it leaks. Each `/budget token` makes a new one.',
      ),
    ],
  };
}
