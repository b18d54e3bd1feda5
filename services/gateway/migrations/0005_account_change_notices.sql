-- Each gateway process caches the account behind an access token and forgets it when told: every change to an
-- account or a login session is announced on the channel gramota_accounts ("u:<user id>" / "s:<session id>").
CREATE FUNCTION announce_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gramota_accounts', CASE WHEN TG_TABLE_NAME = 'users' THEN 'u:' ELSE 's:' END || OLD.id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION announce_account_change();
CREATE TRIGGER auth_sessions_changed AFTER UPDATE OR DELETE ON auth_sessions
    FOR EACH ROW EXECUTE FUNCTION announce_account_change();
