-- A certificate is issued (signed, verifiable) at once; its PDF is rendered after, in the background or on the
-- first download. A row without a PDF is pending; the partial index keeps finding the pending ones cheap.
ALTER TABLE certificates ALTER COLUMN pdf DROP NOT NULL;
ALTER TABLE certificates ADD COLUMN rendered_at timestamptz;
-- the PDFs stored so far were rendered before their certificates were issued
UPDATE certificates SET rendered_at = issued_at WHERE pdf IS NOT NULL;
CREATE INDEX certificates_pdf_pending ON certificates (issued_at) WHERE pdf IS NULL;
