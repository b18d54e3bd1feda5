-- The verification history is paged by (at, id), newest first, per certificate, optionally by method.
CREATE INDEX verifications_serial_cursor ON verifications (serial, at DESC, id DESC);
DROP INDEX verifications_serial;
