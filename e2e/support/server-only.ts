// Stands in for the `server-only` package when Vitest loads lib/ in plain Node.
export {};
