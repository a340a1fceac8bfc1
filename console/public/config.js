// Replaced at deployment (and served by `npm start` with the local API address).
window.__MASHANG_CONFIG__ = window.__MASHANG_CONFIG__ || { apiBase: 'http://127.0.0.1:3000' };
