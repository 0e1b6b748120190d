import { h } from '../lib/dom.ts';

// Dark enough at both ends for the white title to keep 4.5:1.
const gradients = [
  ['#7c3aed', '#be185d'],
  ['#1d4ed8', '#0e7490'],
  ['#c2410c', '#be123c'],
  ['#15803d', '#0f766e'],
];

function hash(text: string): number {
  let n = 0;
  for (const ch of text) n = (n * 31 + ch.charCodeAt(0)) >>> 0;
  return n;
}

/**
 * The concert poster, or a drawn one when there is no image (posters must render offline). The page's main image
 * (the first card, the concert's hero) is `priority`: fetched at once and first, not lazily.
 */
export function poster(url: string | null, title: string, className = 'poster', priority = false): HTMLElement {
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
  const img = h('img', {
    class: className,
    src: url,
    alt: '',
    loading: priority ? 'eager' : 'lazy',
    fetchpriority: priority ? 'high' : 'auto',
    decoding: 'async',
  });
  img.addEventListener('error', () => img.replaceWith(fallback()), { once: true });
  return img;
}
