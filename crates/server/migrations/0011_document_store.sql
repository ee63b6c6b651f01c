-- Documents leave the aid_attachments row: the bytes live in a document store (this database's
-- document_blobs table by default, or an S3-compatible object store), the row keeps the
-- metadata and which store holds the bytes, so switching stores does not strand old documents.
CREATE TABLE document_blobs (
    -- The object key, e.g. `aid/att_…`, the same key an object store would use.
    object_key TEXT PRIMARY KEY,
    -- BYTEA in PostgreSQL; SQLite stores the blob as given.
    content BYTEA NOT NULL
);

INSERT INTO document_blobs (object_key, content) SELECT 'aid/' || id, content FROM aid_attachments;

ALTER TABLE aid_attachments DROP COLUMN content;

-- `database` or `s3`: where this document's bytes are.
ALTER TABLE aid_attachments ADD COLUMN stored_in TEXT NOT NULL DEFAULT 'database';

-- The unlinked-upload sweep looks for old uploads.
CREATE INDEX aid_attachments_by_upload_time ON aid_attachments (uploaded_at);
