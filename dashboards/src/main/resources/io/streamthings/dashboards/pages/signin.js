import { signIn } from '../api.js';
import { h, errorBox } from '../dom.js';

export function render(view) {
  const message = h('div');
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, value: 'admin' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { id: 'signin-form', class: 'card narrow', 'data-testid': 'signin-form' },
    h('h1', {}, 'Sign in'),
    h('label', { for: 'username' }, 'User'), username,
    h('label', { for: 'password' }, 'Password'), password,
    h('button', { type: 'submit', id: 'signin-submit' }, 'Sign in'),
    message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    try {
      await signIn(username.value, password.value);
      location.hash = '#/overview';
    } catch (e) {
      message.replaceChildren(errorBox(e));
    }
  });
  view.append(form);
  password.focus();
}
