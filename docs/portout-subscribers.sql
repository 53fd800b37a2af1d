-- Subscriber directory for port-out validation in a database (PostgreSQL), used when
--   numbers-router.portout.subscriber-source=jdbc
-- with Spring Boot's spring.datasource.url / username / password pointing at this database.
-- The node only reads it: give its database user SELECT on this table and nothing else.
--
-- The node asks numbers-router.portout.jdbc.query (default below) for one number at a time:
--   SELECT telephone_number, account_number, pin_hash, zip_code, subscriber_name, active
--   FROM portout_subscribers WHERE telephone_number = ?
-- A query of your own (another table, a view) must return these six column names; use aliases
-- (SELECT msisdn AS telephone_number, ...). The columns mean what they mean in config/subscribers.csv.

CREATE TABLE portout_subscribers (
    -- Store numbers normalised, as the node asks for them: 10 digits for NANP numbers (9195550188, not
    -- +19195550188 or 919-555-0188) and E.164 for the rest (+442071838750). Then "= ?" finds them with the
    -- primary key's index. A row stored in another spelling is only found by a query written for it
    -- (e.g. WHERE right(telephone_number, 10) = ?); the node ignores returned rows whose number is not the one
    -- asked for, and refuses to answer when two rows are the same number.
    telephone_number varchar(16)  PRIMARY KEY
        CONSTRAINT telephone_number_normalised CHECK (telephone_number ~ '^([0-9]{10}|\+[2-9][0-9]{6,14})$'),
    -- compared exactly (after trimming) with the AccountNumber the winning carrier sends
    account_number   varchar(64)  NOT NULL,
    -- {bcrypt}... or {pbkdf2}... (hash a PIN with com.numbersrouter.portout.PinHasher, see README);
    -- NULL = no PIN on file. A clear-text PIN is never compared: that number's port-outs fail instead.
    pin_hash         varchar(255)
        CONSTRAINT pin_hash_is_a_hash CHECK (pin_hash ~ '^\{(bcrypt|pbkdf2)'),
    -- US ZIP (27606 also matches a request for 27606-1234) or another country's postcode
    zip_code         varchar(16)  NOT NULL,
    subscriber_name  varchar(255) NOT NULL,
    -- false denies the port-out with 7518
    active           boolean      NOT NULL DEFAULT true
);

-- Example (demo PIN 048213; never store the PIN itself):
-- INSERT INTO portout_subscribers VALUES
--   ('9195550188', 'ACCT-7781234', '{bcrypt}$2a$10$NbkP6sl8LqbblL.KJaZcPusne6kVJagC9X6ecrP3ub04EjxUZu0Ai',
--    '27606', 'Acme Plumbing LLC', true);
