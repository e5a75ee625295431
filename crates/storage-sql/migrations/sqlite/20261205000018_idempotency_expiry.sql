-- Issue 12: stored answers expire (24 h) and are purged by created_at; answers of the token
-- endpoint were kept with the bearer token in clear, and replayed to anyone who reused the key:
-- they are deleted, and the endpoint is no longer kept.
DELETE FROM idempotency WHERE request LIKE 'POST /api/v1/auth/%';
CREATE INDEX idempotency_created_at ON idempotency (created_at);
