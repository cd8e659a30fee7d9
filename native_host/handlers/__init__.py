"""One module per request kind; each exposes `handle(request, ctx) -> reply fields`."""
