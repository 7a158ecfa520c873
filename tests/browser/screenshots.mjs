// Screenshots of the main pages at desktop and phone widths, for people to look at.
import { launch, signIn, shot, BASE } from './lib.mjs';

const pages = [
  [null, '/login', 'login'],
  ['btg', '/', 'home-btg'],
  ['canbo', '/', 'home-canbo'],
  ['admin', '/orgs', 'orgs'],
  ['admin', '/orgs/2', 'org-detail'],
  ['admin', '/orgs/new', 'org-form'],
  ['admin', '/users', 'users'],
  ['admin', '/audit', 'audit'],
  ['btg', '/plans/1', 'plan'],
  ['btg', '/search?q=dien%20luc', 'search'],
  ['btg', '/exemplars', 'exemplars'],
  // The unit picker after choosing a TCCS: the chain down to it and its chi bộ.
  ['btg', '/exemplars?org_id=13', 'exemplars-unit'],
  ['canbo', '/exemplars/new', 'exemplar-form'],
  ['capuy', '/exemplars/1', 'exemplar-detail'],
  ['btg', '/exemplars/1/evaluations/new', 'evaluation-form'],
  ['capuy', '/models', 'models'],
  ['btg', '/catalog', 'catalog'],
  ['btg', '/reviews', 'reviews'],
  ['btg', '/reviews/2', 'review-sent'],
  ['capuy.taichinh', '/reviews/3', 'review-returned'],
  ['btg', '/reviews/aggregate?from=2025&to=2025', 'review-aggregate'],
];
const browser = await launch();
for (const size of ['desktop', 'phone']) {
  for (const [user, url, name] of pages) {
    const { context, page } = await signIn(browser, user, size);
    await page.goto(BASE + url);
    console.log(await shot(page, `${name}-${size}`));
    await context.close();
  }
}
await browser.close();
