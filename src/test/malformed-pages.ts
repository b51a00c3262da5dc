import fc from 'fast-check';
import { DEEP_ARRAY, wellFormed } from './malformed.js';
import { type Fields, FORMS, type FormSpec, formText } from './malformed-forms.js';
import {
  headerText,
  type Operation,
  pathOf,
  pathSegment,
  queryString,
  type RequestSpec,
} from './malformed-requests.js';

/** A logged-in visitor: the session cookie and the CSRF token its forms carry. */
export type Visitor = { cookie: string; csrf: string };

/** What the pages fuzz knows: an affiliate's, a seller's and an operator's sessions, real path values. */
export type PageWorld = {
  affiliate: Visitor;
  operator: Visitor;
  seller: Visitor;
  /** Real values by path parameter name (`id`, `slug`, `storeId`, `name`, `kind`), for GETs. */
  real: Readonly<Record<string, readonly string[]>>;
  words: readonly string[];
};

/** Query names the pages read, besides unknown ones. */
const PAGE_QUERY = ['q', 'page', 'status', 'after', 'before', 'done', 'period', 'next', 'url'];
const MORE_QUERY = ['sort', 'category', 'cursor', 'welcome', 'built', 'saved', 'from', 'to', 'id'];

/** Whose session a page is for: the console's operator, a public page's visitor, a seller, or an affiliate. */
function audience(op: Operation): 'operator' | 'public' | 'seller' | 'affiliate' {
  if (op.path.startsWith('/console')) return 'operator';
  if (['/', '/signup', '/login'].includes(op.path) || op.path.startsWith('/s/')) return 'public';
  if (op.path.startsWith('/seller/invite/')) return 'public';
  if (op.path === '/seller' || op.path.startsWith('/seller/')) return 'seller';
  return 'affiliate';
}

const VISITOR_TOKEN = 'v'.repeat(43);

/** A session cookie and CSRF token; `session`: a real session with its own token (CSRF passes). */
type Door = {
  cookie?: string;
  csrf?: string | undefined;
  taken: boolean;
  session?: boolean;
  label: string;
};

/** The session and CSRF token a request carries, and whether the form is taken with them. */
function doors(op: Operation, w: PageWorld): fc.Arbitrary<Door> {
  const who = audience(op);
  const own = who === 'operator' ? w.operator : who === 'seller' ? w.seller : w.affiliate;
  const other = who === 'affiliate' ? w.operator : w.affiliate;
  const visitor = { cookie: `affnet_csrf=${VISITOR_TOKEN}`, csrf: VISITOR_TOKEN };
  const right: Door =
    who === 'public'
      ? { ...visitor, taken: true, label: 'a visitor' }
      : { ...own, taken: true, session: true, label: `the ${who}` };
  // A page behind the door costs ten times a refusal at it: half of the page views get
  // through, a little more of the forms (whose checks are the point).
  return fc.oneof(
    { weight: op.method === 'GET' ? 3 : 4, arbitrary: fc.constant(right) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<Door>(
        { taken: false, label: 'no cookie' },
        { ...right, csrf: undefined, taken: false, label: 'no CSRF token' },
        { ...right, csrf: 'x'.repeat(43), taken: false, label: 'a wrong CSRF token' },
        // Past the CSRF check, then sent to log in as the other kind of user.
        { ...other, taken: false, session: true, label: 'the other kind of user' },
        { cookie: 'affnet_session=nope', csrf: own.csrf, taken: false, label: 'a stale session' },
      ),
    },
    {
      weight: 1,
      arbitrary: headerText().map((cookie) => ({ cookie, taken: false, label: 'a junk cookie' })),
    },
  );
}

/** The fields of a form: its own names and junk ones with junk or plausible values. */
function formFields(spec: FormSpec, w: PageWorld): fc.Arbitrary<Fields> {
  const names = [...spec.fields, 'events', '_method', '__proto__'];
  return fc.dictionary(
    fc.oneof(fc.constantFrom(...names), formText),
    fc.oneof(formText, fc.constantFrom(...w.words)),
    { maxKeys: 6 },
  );
}

/** A body as a browser would post it, or as no browser would. */
function encode(fields: Fields, csrf: string | undefined, breaks: string) {
  const all = Object.entries({ ...fields, ...(csrf === undefined ? {} : { _csrf: csrf }) }).filter(
    (e): e is [string, string] => e[1] !== undefined,
  );
  const form = new URLSearchParams(
    all.map(([k, v]): [string, string] => [wellFormed(k), wellFormed(v)]),
  ).toString();
  const json = JSON.stringify(Object.fromEntries(all));
  const ctForm = 'application/x-www-form-urlencoded';
  return fc
    .oneof(
      {
        weight: 6,
        arbitrary: fc.constant({ contentType: ctForm, payload: form as string | Buffer }),
      },
      { weight: 1, arbitrary: fc.constant({ contentType: 'application/json', payload: json }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          { contentType: ctForm, payload: `${form}&pad=${'x'.repeat(70_000)}` },
          { contentType: ctForm, payload: Buffer.concat([Buffer.from(form), Buffer.from([0xff])]) },
          { contentType: 'application/json', payload: DEEP_ARRAY.text },
          { contentType: 'text/plain', payload: form },
          { contentType: 'multipart/form-data; boundary=x', payload: `--x\r\n${form}` },
        ),
      },
    )
    .map((b) => ({ ...b, breaks }));
}

/** The results upload: multipart with the CSRF field and a file that is not a results file. */
function upload(fields: Fields, csrf: string | undefined) {
  const boundary = 'fuzzboundary';
  const part = (head: string, body: string) => `--${boundary}\r\n${head}\r\n\r\n${body}\r\n`;
  const csrfPart =
    csrf === undefined ? '' : part('Content-Disposition: form-data; name="_csrf"', csrf);
  const file =
    fields.results === undefined
      ? ''
      : part(
          'Content-Disposition: form-data; name="results"; filename="r.csv"\r\nContent-Type: text/csv',
          fields.results,
        );
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    payload: `${csrfPart}${file}--${boundary}--\r\n`,
  };
}

/**
 * Malformed requests for one page. A GET may be answered with a page (pages read); a form
 * posted with a valid session and CSRF token carries a certain break and must be refused
 * with a 4xx; without them it is refused at the door (a 403, or a redirect to log in).
 */
export function pageRequests(op: Operation, w: PageWorld): fc.Arbitrary<RequestSpec> {
  const name = `${op.method} ${op.path}`;
  const get = op.method === 'GET';
  const form = FORMS[name];
  if (!get && !form) throw new Error(`${name}: no entry in FORMS (src/test/malformed-pages.ts)`);
  const path = pathOf(op, (param) => pathSegment(get ? (w.real[param] ?? []) : []));
  const query = queryString([], get ? [...PAGE_QUERY, ...MORE_QUERY] : PAGE_QUERY, w.words);
  if (get)
    return fc.tuple(path, query, doors(op, w)).map(([p, q, d]) => ({
      method: 'GET',
      url: `${p}${q}`,
      headers: d.cookie ? { cookie: d.cookie } : {},
      breaks: '',
    }));
  const spec = form as FormSpec;
  const breakers =
    Array.isArray(spec.breaks) && spec.breaks.length > 0
      ? fc.oneof(...spec.breaks)
      : fc.constant({} as Fields);
  // A form with nothing to break is sent only without a session that would pass its checks.
  const doorOnly = !Array.isArray(spec.breaks) && typeof spec.breaks === 'object';
  const door = doors(op, w).filter((d) => !(doorOnly && (d.taken || d.session)));
  return fc
    .tuple(path, query, door, formFields(spec, w), breakers)
    .chain(([p, q, d, fields, broken]) => {
      const all = { ...fields, ...broken };
      const label = d.taken
        ? spec.breaks === 'reads'
          ? ''
          : spec.breaks === 'path'
            ? 'a path id that names nothing'
            : JSON.stringify(broken).slice(0, 200)
        : `door: ${d.label}`;
      const body =
        name === 'POST /console/payouts/results'
          ? fc.constant({ ...upload(all, d.csrf), breaks: label })
          : encode(all, d.csrf, label);
      return body.map((b) => ({
        method: op.method,
        url: `${p}${q}`,
        headers: { ...(d.cookie ? { cookie: d.cookie } : {}), 'content-type': b.contentType },
        payload: b.payload,
        breaks: b.breaks,
      }));
    });
}
