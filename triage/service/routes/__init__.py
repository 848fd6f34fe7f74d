"""Routes: parse, call one service function, return a public schema or a page."""
