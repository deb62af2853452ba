import type { Page } from 'playwright-core';

/** Console errors, page errors, and every URL the page asks for (requests and websockets). */
export function watch(page: Page) {
  const problems: string[] = [];
  const urls: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => urls.push(request.url()));
  page.on('websocket', (socket) => urls.push(socket.url()));
  return { problems, urls };
}
