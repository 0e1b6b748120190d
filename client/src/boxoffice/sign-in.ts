import { h, mount } from '../lib/dom.ts';
import { ApiError } from '../lib/http.ts';
import { describeError } from '../lib/load.ts';
import { adminApi, adminToken } from './admin-api.ts';
import { bt } from './messages.ts';

/** The token form: the token is checked against the API before it is kept (in memory, for this page). */
export function renderSignIn(root: HTMLElement, onSignedIn: () => void, notice?: string): void {
  const input = h('input', {
    id: 'bo-token',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    class: 'bo-input',
  });
  const error = h('p', { class: 'bo-form-error', role: 'alert' }, notice ?? '');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, bt('signIn'));
  const form = h(
    'form',
    {
      class: 'card bo-signin',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        submit.disabled = true;
        try {
          await adminApi.concerts(token);
          adminToken.set(token);
          onSignedIn();
        } catch (err) {
          error.textContent =
            err instanceof ApiError && (err.status === 401 || err.status === 403)
              ? bt('wrongToken')
              : describeError(err);
          input.focus();
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h1', { class: 'page-title' }, bt('signInTitle')),
    h('p', { class: 'bo-muted' }, bt('signInHelp')),
    h('label', { for: 'bo-token', class: 'bo-label' }, bt('tokenLabel')),
    input,
    error,
    submit,
  );
  mount(root, form);
  input.focus();
}
