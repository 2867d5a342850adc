import { initAll } from '../vendor/govuk-frontend/govuk-frontend.min.js';
initAll()
document.body.addEventListener('htmx:configRequest', (event) => {
  const token = document.querySelector('input[name=csrfmiddlewaretoken]')
  if (token) event.detail.headers['X-CSRFToken'] = token.value
})
