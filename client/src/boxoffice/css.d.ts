// Vite bundles CSS imported for its side effect; the root tsconfig (no vite/client types) needs to know the module.
declare module '*.css';
