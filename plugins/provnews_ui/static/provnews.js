// provnews page: click a header of a .sortable table to sort it (again: reverse), and the
// #site-search box filters the sites table; accents are ignored ("phu tho" finds "Phú Thọ").
"use strict";

function plain(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
}

function sortKey(cell) {
  const raw = cell ? (cell.dataset.sort ?? cell.textContent.trim()) : "";
  const n = Number(raw);
  return raw !== "" && !Number.isNaN(n) ? n : plain(raw);
}

function sortBy(table, th) {
  const col = [...th.parentNode.children].indexOf(th);
  const desc = th.classList.contains("sorted-asc");
  table.querySelectorAll("th").forEach((h) => h.classList.remove("sorted-asc", "sorted-desc"));
  th.classList.add(desc ? "sorted-desc" : "sorted-asc");
  const body = table.tBodies[0];
  const rows = [...body.rows].filter((r) => r.cells.length > col);
  rows.sort((a, b) => {
    const x = sortKey(a.cells[col]), y = sortKey(b.cells[col]);
    const order = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === "number" ? -1 : 1);
    return desc ? -order : order;
  });
  rows.forEach((r) => body.appendChild(r));
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.sortable").forEach((table) => {
    table.querySelectorAll("thead th").forEach((th) => th.addEventListener("click", () => sortBy(table, th)));
  });
  const search = document.getElementById("site-search");
  if (search) {
    search.addEventListener("input", () => {
      const words = plain(search.value).split(/\s+/).filter(Boolean);
      document.querySelectorAll("#sites tbody tr").forEach((row) => {
        const text = plain(row.textContent);
        row.hidden = !words.every((w) => text.includes(w));
      });
    });
  }
});
