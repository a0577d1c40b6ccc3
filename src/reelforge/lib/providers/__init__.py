"""Remote provider clients (LLMs, speech, images, motion clips, music, moderation).

Every client speaks its provider's documented HTTP protocol through `ProviderHttp`, which
adds timeouts, bounded retries with full jitter, `Retry-After`, and a circuit breaker.
Nothing here logs a key or a prompt.
"""
