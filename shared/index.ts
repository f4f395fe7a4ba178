// The only barrel: the pure core that both the extension and the server import.
export * from './errors';
export * from './protocol';
export * from './schemas';
