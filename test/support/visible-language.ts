/**
 * What a user sees on an extension page, checked in the page itself: visible text (not the DOM's),
 * English left on a Romanian or Russian screen, horizontal scroll, elements out of view.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

type Messages = Record<string, { message: string }>;
const messages = (lang: string): Messages => JSON.parse(readFileSync(`public/_locales/${lang}/messages.json`, 'utf8')) as Messages;

/**
 * English words that never belong in a Romanian or Russian sentence of ours (words that are Romanian
 * too, like "site", "token", "format", "an", "are", "certificate", "file", "valid", "content", "drag",
 * are left out).
 */
const ENGLISH_WORDS = new Set(
  (
    'the and with your you please was were has have been not this that which could cannot error failed cancelled details loading copy copied ' +
    'help problem version again sign signed signing files field fields certificates issuer holder number ' +
    'allow deny remove results download install renew request requests wrong attempts attempt left more waiting choose add here key type ' +
    'page of for from to on is it by at or be yes one no none nothing found inserted insert try technical fill form undo'
  ).split(' '),
);

/** The text nodes (and placeholders, titles) a user can see, outside values shown as data (`.mono`, `code`, `pre`, `textarea`). */
export async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const element = node.parentElement;
      const text = node.textContent?.trim() ?? '';
      if (!element || !text || element.closest('.mono, code, pre, textarea, script, style, option')) continue;
      if (!element.checkVisibility({ visibilityProperty: true })) continue;
      texts.push(text);
    }
    for (const select of document.querySelectorAll('select')) if (select.checkVisibility()) texts.push(select.selectedOptions[0]?.textContent ?? '');
    for (const element of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
      if (!(element as HTMLElement).checkVisibility()) continue;
      for (const name of ['placeholder', 'title', 'aria-label']) {
        const value = element.getAttribute(name);
        if (value) texts.push(value);
      }
    }
    return texts;
  });
}

/** Our English sentences (the parts between placeholders, 12 characters or more) that `locale` says otherwise. */
function englishSentences(locale: string): string[] {
  const english = messages('en');
  const translated = messages(locale);
  return Object.entries(english)
    .filter(([key, { message }]) => message !== translated[key]?.message)
    .flatMap(([, { message }]) => message.split(/\$\d/).map((part) => part.trim()))
    .filter((part) => part.length >= 12);
}

/**
 * A page as a Romanian or Russian user sees it, screenshot saved as `${screenshots}/${name}-${locale}.png`:
 * none of our English sentences in its text, no sideways scroll, and each of `inView` wholly in the window.
 */
export async function expectShownInLanguage(page: Page, { locale, name, screenshots, inView: shown }: { locale: string; name: string; screenshots: string; inView: Locator[] }): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}-${locale}.png`) });
  const text = await page.locator('body').innerText();
  expect(
    englishSentences(locale).filter((sentence) => text.includes(sentence)),
    `${name} in ${locale}`,
  ).toEqual([]);
  expect(await scrollsSideways(page), `${name} scrolls sideways in ${locale}`).toBe(false);
  for (const [index, element] of shown.entries()) expect(await inView(element), `element ${index + 1} in view (${name}, ${locale})`).toBe(true);
}

/**
 * English on a `locale` screen: our English sentences (the parts between placeholders, 12 characters
 * or more, that the locale translates differently) and English words from the list; `data` are
 * strings that are the user's own data (a certificate's names, file names) and are left out.
 */
export function englishIn(texts: string[], locale: string, data: string[] = []): string[] {
  const sentences = englishSentences(locale);
  const found = new Set<string>();
  for (const raw of texts) {
    const text = data.reduce((rest, value) => rest.split(value).join(' '), raw);
    for (const sentence of sentences) if (text.includes(sentence)) found.add(sentence);
    for (const word of text.toLowerCase().split(/[^\p{L}]+/u)) if (ENGLISH_WORDS.has(word)) found.add(`${word} (in "${raw}")`);
  }
  return [...found];
}

/** The page scrolls sideways (something is wider than the window). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** What sticks out to the right of the window (tag, test id or class, text), to say why it scrolls. */
export async function wideElements(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.body.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}${e.getAttribute('data-testid') ? `[${e.getAttribute('data-testid')}]` : e.className ? `.${String(e.className)}` : ''} "${(e.textContent ?? '').slice(0, 40)}"`,
      ),
  );
}

/** The element is wholly inside the window as it is scrolled now. */
export async function inView(element: Locator): Promise<boolean> {
  return element.evaluate((e) => {
    const box = e.getBoundingClientRect();
    // One pixel of slack for sub-pixel layout (a box ending at 600.3 in a 600 px window is seen whole).
    return box.height > 0 && box.top >= -1 && box.left >= -1 && box.bottom <= window.innerHeight + 1 && box.right <= window.innerWidth + 1;
  });
}
