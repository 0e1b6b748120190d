import { h } from '../lib/dom.ts';

const gradients = [
  ['#7c3aed', '#db2777'],
  ['#2563eb', '#0891b2'],
  ['#ea580c', '#e11d48'],
  ['#16a34a', '#0d9488'],
];

function hash(text: string): number {
  let n = 0;
  for (const ch of text) n = (n * 31 + ch.charCodeAt(0)) >>> 0;
  return n;
}

/** The concert poster, or a drawn one when there is no image (posters must render offline). */
export function poster(url: string | null, title: string, className = 'poster'): HTMLElement {
  const fallback = () => {
    const [a, b] = gradients[hash(title) % gradients.length]!;
    return h(
      'div',
      {
        class: `${className} poster-drawn`,
        style: `background: linear-gradient(145deg, ${a}, ${b})`,
        'aria-hidden': 'true',
      },
      h('span', { class: 'poster-title' }, title),
    );
  };
  if (!url) return fallback();
  const img = h('img', { class: className, src: url, alt: '', loading: 'lazy', decoding: 'async' });
  img.addEventListener('error', () => img.replaceWith(fallback()), { once: true });
  return img;
}
