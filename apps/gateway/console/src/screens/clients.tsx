import { useEffect, useRef, useState } from 'preact/hooks';
import type { ClientResponse, ClientSort, ClientSummary, Page } from '@clientele/contracts';
import { call, withQuery } from '../api';
import { currentCursor, firstPage, goNext, goPrevious, hasNext, hasPrevious, pageLoaded, pageNumber, type Paging } from '../paging';
import { paths } from '../router';
import { useConsole } from '../ui/context';
import { Link, Message, ScreenTitle, useErrorText } from '../ui/parts';

/** Rows per page, unless the address says `?limit=` (1..200, as the API takes). */
const PAGE_SIZE = 25;
/** Account types that may have clients of their own: their row links to their clients (`?parent=`). */
const PARENT_TYPES = new Set(['group', 'distributor', 'reseller']);

interface ListQuery {
  q: string;
  status: '' | 'active' | 'inactive';
  sort: ClientSort;
  parent: string;
  limit: number;
}

function pageSize(value: string | null): number {
  const size = Number(value);
  return Number.isInteger(size) && size >= 1 && size <= 200 ? size : PAGE_SIZE;
}

function readQuery(): ListQuery {
  const params = new URLSearchParams(window.location.search);
  const status = params.get('status');
  const sort = params.get('sort') as ClientSort | null;
  return {
    q: params.get('q') ?? '',
    status: status === 'active' || status === 'inactive' ? status : '',
    sort: sort && /^-?(accountName|companyName|status|createdAt)$/.test(sort) ? sort : 'accountName',
    parent: params.get('parent') ?? '',
    limit: pageSize(params.get('limit')),
  };
}

/** The list's filters stay in the address, so a reload or a shared link shows the same list. */
function writeQuery(query: ListQuery): void {
  const url = withQuery(paths.clients, { q: query.q, status: query.status, sort: query.sort === 'accountName' ? '' : query.sort, parent: query.parent, limit: query.limit === PAGE_SIZE ? '' : query.limit });
  history.replaceState(null, '', url);
}

export function ClientsScreen() {
  const { t } = useConsole();
  const errorText = useErrorText();
  const [query, setQuery] = useState<ListQuery>(readQuery);
  const [search, setSearch] = useState(query.q);
  const [paging, setPaging] = useState<Paging>(firstPage);
  const [rows, setRows] = useState<ClientSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [parentName, setParentName] = useState<string | null>(null);
  const cursor = currentCursor(paging);
  const latest = useRef(0);

  useEffect(() => {
    writeQuery(query);
    const ticket = ++latest.current;
    setError(null);
    call<Page<ClientSummary>>('GET', withQuery('/v1/clients', { q: query.q, status: query.status, sort: query.sort, parent: query.parent, limit: query.limit, cursor }))
      .then(({ data }) => {
        if (ticket !== latest.current) return; // an older request answering late
        setRows(data.data);
        setPaging((current) => pageLoaded(current, data.nextCursor));
      })
      .catch((caught) => ticket === latest.current && setError(errorText(caught)));
  }, [query, cursor]);

  useEffect(() => {
    if (!query.parent) return setParentName(null);
    call<ClientResponse>('GET', `/v1/clients/${encodeURIComponent(query.parent)}`)
      .then(({ data }) => setParentName(data.accountName))
      .catch(() => setParentName(query.parent));
  }, [query.parent]);

  // Typing searches after a pause; the list starts again from its first page.
  useEffect(() => {
    if (search === query.q) return;
    const timer = setTimeout(() => change({ q: search }), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const change = (next: Partial<ListQuery>) => {
    setQuery((current) => ({ ...current, ...next }));
    setPaging(firstPage());
  };

  const sortHeader = (column: 'accountName' | 'companyName' | 'status', label: string) => {
    const direction = query.sort === column ? 'ascending' : query.sort === `-${column}` ? 'descending' : undefined;
    const next = (direction === 'ascending' ? `-${column}` : column) as ClientSort;
    return (
      <th scope="col" aria-sort={direction ?? 'none'}>
        <button type="button" class="sort" onClick={() => change({ sort: next })} title={t('clients.sortBy', { column: label })}>
          {label}
          <span aria-hidden="true" class="sort-mark">
            {direction === 'ascending' ? ' ▲' : direction === 'descending' ? ' ▼' : ' ↕'}
          </span>
        </button>
      </th>
    );
  };

  const ownerLabel = (status: ClientSummary['ownerStatus']) => (status ? t(`owner.${status}`) : t('owner.none'));
  const filtered = query.q !== '' || query.status !== '';

  return (
    <section>
      <div class="screen-head">
        <ScreenTitle>{query.parent ? t('clients.browsing', { name: parentName ?? '…' }) : t('clients.title')}</ScreenTitle>
        {!query.parent && (
          <Link href={paths.newClient} class="button">
            {t('clients.add')}
          </Link>
        )}
      </div>
      {query.parent && (
        <p class="note">
          {t('clients.browsingNote')} <Link href={paths.clients}>{t('clients.backToOwn')}</Link>
        </p>
      )}
      <form class="filters" role="search" onSubmit={(event) => { event.preventDefault(); change({ q: search }); }}>
        <div class="field">
          <label for="client-search">{t('clients.search')}</label>
          <input id="client-search" type="search" value={search} aria-describedby="client-search-hint" onInput={(event) => setSearch((event.currentTarget as HTMLInputElement).value)} />
          <p class="hint" id="client-search-hint">
            {t('clients.searchHint')}
          </p>
        </div>
        <div class="field">
          <label for="client-status">{t('clients.statusFilter')}</label>
          <select id="client-status" value={query.status} onChange={(event) => change({ status: (event.currentTarget as HTMLSelectElement).value as ListQuery['status'] })}>
            <option value="">{t('clients.statusAll')}</option>
            <option value="active">{t('status.active')}</option>
            <option value="inactive">{t('status.inactive')}</option>
          </select>
        </div>
      </form>
      {error && <Message kind="error">{error}</Message>}
      {rows === null && !error && <p role="status">{t('common.loading')}</p>}
      {rows !== null && rows.length === 0 && <p class="empty">{filtered ? t('clients.noMatch') : t('clients.empty')}</p>}
      {rows !== null && rows.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('clients.title')}</caption>
            <thead>
              <tr>
                {sortHeader('accountName', t('clients.col.accountName'))}
                {sortHeader('companyName', t('clients.col.company'))}
                <th scope="col">{t('clients.col.type')}</th>
                {sortHeader('status', t('clients.col.status'))}
                <th scope="col">{t('clients.col.owner')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <th scope="row">
                    <Link href={paths.client(row.id)}>{row.accountName}</Link>
                    {PARENT_TYPES.has(row.type) && (
                      <>
                        {' · '}
                        <Link href={withQuery(paths.clients, { parent: row.id })} class="small">
                          {t('clients.theirClients')}
                          <span class="visually-hidden"> ({row.accountName})</span>
                        </Link>
                      </>
                    )}
                  </th>
                  <td>{row.companyName}</td>
                  <td>{t(`type.${row.type}`)}</td>
                  <td>
                    <span class={`badge ${row.status}`}>{t(`status.${row.status}`)}</span>
                  </td>
                  <td>
                    <span class={`badge owner-${row.ownerStatus ?? 'none'}`}>{ownerLabel(row.ownerStatus)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(hasPrevious(paging) || hasNext(paging)) && (
        <nav class="pager" aria-label={t('common.pagination')}>
          <button type="button" class="secondary" disabled={!hasPrevious(paging)} onClick={() => setPaging(goPrevious)}>
            {t('common.previous')}
          </button>
          <span aria-live="polite">{t('common.page', { n: pageNumber(paging) })}</span>
          <button type="button" class="secondary" disabled={!hasNext(paging)} onClick={() => setPaging(goNext)}>
            {t('common.next')}
          </button>
        </nav>
      )}
    </section>
  );
}
