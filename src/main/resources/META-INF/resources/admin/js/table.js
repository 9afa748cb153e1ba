import { h } from './dom.js';

/**
 * A table whose rows come from a list endpoint: sorting, paging and filtering happen on the server (the
 * lists can hold 100,000 tokens), the table only asks for one page. Columns are
 * { label, sort?: API field name, render(item): node or text, class? }.
 */
export class DataTable {
  constructor({ caption, columns, load, sort, pageSize = 25, selectable = false }) {
    this.columns = columns;
    this.load = load;
    this.sort = sort;
    this.page = 0;
    this.pageSize = pageSize;
    this.selectable = selectable;
    this.selection = new Set();
    this.onSelectionChange = () => {};
    this.body = h('tbody');
    this.head = h('tr');
    this.status = h('span', { class: 'muted' });
    this.prev = h('button', { type: 'button', onclick: () => this.go(this.page - 1) }, '‹ Previous');
    this.next = h('button', { type: 'button', onclick: () => this.go(this.page + 1) }, 'Next ›');
    this.element = h('div', { class: 'table-block' },
      // focusable, so that a keyboard can scroll a table wider than the screen (a phone)
      h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
        h('table', { class: 'cards' }, h('caption', { class: 'offscreen' }, caption), h('thead', {}, this.head), this.body)),
      h('div', { class: 'pager' }, this.prev, this.status, this.next));
    this.renderHead();
  }

  renderHead() {
    this.head.replaceChildren();
    if (this.selectable) {
      this.selectAll = h('input', { type: 'checkbox', 'aria-label': 'Select every row on this page',
        onchange: (e) => this.selectPage(e.target.checked) });
      this.head.append(h('th', { class: 'check' }, this.selectAll));
    }
    for (const column of this.columns) {
      if (!column.sort) {
        this.head.append(h('th', { scope: 'col' }, column.label));
        continue;
      }
      const active = this.sort.replace(/^-/, '') === column.sort;
      const descending = this.sort.startsWith('-');
      this.head.append(h('th', { scope: 'col', 'aria-sort': active ? (descending ? 'descending' : 'ascending') : 'none' },
        h('button', { type: 'button', class: 'sort', onclick: () => this.sortBy(column.sort) },
          column.label, active ? (descending ? ' ▼' : ' ▲') : '')));
    }
  }

  sortBy(field) {
    this.sort = this.sort === field ? `-${field}` : field;
    this.page = 0;
    this.renderHead();
    return this.refresh();
  }

  go(page) {
    this.page = Math.max(0, page);
    return this.refresh();
  }

  /** Reloads the current page; a filter change calls reset() to go back to page 0 first. */
  async refresh() {
    const answer = await this.load({ sort: this.sort, page: this.page, size: this.pageSize });
    if (answer.items.length === 0 && this.page > 0 && answer.total > 0) {
      return this.go(Math.floor((answer.total - 1) / this.pageSize));
    }
    this.items = answer.items;
    const ids = new Set(answer.items.map((item) => item.id));
    for (const id of [...this.selection]) if (!ids.has(id)) this.selection.delete(id);
    // a re-rendered row keeps the keyboard focus on its control with the same data-focus key
    const focusKey = this.body.contains(document.activeElement) ? document.activeElement.dataset.focus : undefined;
    this.body.replaceChildren(...answer.items.map((item) => this.row(item)));
    if (focusKey) this.body.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`)?.focus();
    if (answer.items.length === 0) {
      this.body.append(h('tr', {}, h('td', { colspan: this.columns.length + (this.selectable ? 1 : 0), class: 'empty' },
        'Nothing here yet.')));
    }
    const from = answer.total === 0 ? 0 : this.page * this.pageSize + 1;
    this.status.textContent = `${from}–${this.page * this.pageSize + answer.items.length} of ${answer.total}`;
    this.prev.disabled = this.page === 0;
    this.next.disabled = (this.page + 1) * this.pageSize >= answer.total;
    if (this.selectAll) this.selectAll.checked = false;
    this.onSelectionChange(this.selection);
  }

  reset() {
    this.page = 0;
    return this.refresh();
  }

  row(item) {
    const tr = h('tr', { dataset: { id: item.id } });
    if (this.selectable) {
      tr.append(h('td', { class: 'check', dataset: { label: 'Select' } }, h('input', {
        type: 'checkbox', checked: this.selection.has(item.id), 'aria-label': `Select ${item.name ?? item.route ?? item.id}`,
        onchange: (e) => this.select(item.id, e.target.checked),
      })));
    }
    for (const column of this.columns) {
      tr.append(h('td', { class: column.class, dataset: { label: column.label } }, column.render(item)));
    }
    return tr;
  }

  select(id, on) {
    if (on) this.selection.add(id); else this.selection.delete(id);
    this.onSelectionChange(this.selection);
  }

  selectPage(on) {
    for (const item of this.items ?? []) this.select(item.id, on);
    for (const box of this.body.querySelectorAll('td.check input')) box.checked = on;
  }
}
