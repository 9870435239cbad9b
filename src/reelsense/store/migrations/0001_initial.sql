-- reelsense schema, version 1.
-- One statement per line ending in ';' (a trigger ends at 'END;').
-- docs/SCHEMA.md describes every table for people who query the file directly.

CREATE TABLE movies (
    movie_id    TEXT PRIMARY KEY NOT NULL,  -- IMDb tt id, e.g. tt0117407
    title       TEXT,
    year        INTEGER,
    imdb_rating REAL,                       -- 1-10
    url         TEXT,
    source_file TEXT
);

CREATE TABLE movie_groups (
    group_name TEXT NOT NULL,               -- crawler folder, e.g. Group3
    movie_id   TEXT NOT NULL REFERENCES movies (movie_id),
    position   INTEGER,                     -- 0 = the original film
    PRIMARY KEY (group_name, movie_id)
);

CREATE INDEX movie_groups_movie_id ON movie_groups (movie_id);

CREATE TABLE reviews (
    review_id           INTEGER PRIMARY KEY,
    review_key          TEXT NOT NULL UNIQUE,   -- de-duplication key (Review.key)
    movie_id            TEXT NOT NULL REFERENCES movies (movie_id),
    position            INTEGER,                -- order within its source file
    review_date         TEXT,                   -- ISO date, YYYY-MM-DD
    author              TEXT,                   -- display name, without any e-mail
    rating              REAL,                   -- given rating 1-10, NULL = none
    headline            TEXT,
    spoiler             INTEGER NOT NULL DEFAULT 0 CHECK (spoiler IN (0, 1)),
    body                TEXT NOT NULL,
    stated_rating       REAL,                   -- rating written in the text, 1-10
    stated_rating_text  TEXT,                   -- as found, e.g. 9/10
    stated_rating_field TEXT,                   -- 'text' (body) or 'headline'
    stated_rating_start INTEGER,                -- character offsets into that field
    stated_rating_end   INTEGER,
    source_file         TEXT,
    source_line         INTEGER,
    external_id         TEXT,                   -- a source's own id (aclImdb train/pos/123_9)
    split               TEXT,                   -- aclImdb train / test / unsup
    label               TEXT                    -- aclImdb pos / neg
);

CREATE INDEX reviews_movie_id ON reviews (movie_id);

CREATE INDEX reviews_rating ON reviews (rating);

CREATE INDEX reviews_review_date ON reviews (review_date);

CREATE TABLE reviewer_emails (
    review_id INTEGER PRIMARY KEY REFERENCES reviews (review_id) ON DELETE CASCADE,
    email     TEXT NOT NULL
);

CREATE VIRTUAL TABLE reviews_fts USING fts5 (
    headline, body,
    content = 'reviews', content_rowid = 'review_id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- New reviews are indexed by the writer in the same transaction, one
-- INSERT ... SELECT per batch (several times faster than a row trigger).
-- Deletes and edits stay consistent through these triggers.
CREATE TRIGGER reviews_fts_delete AFTER DELETE ON reviews BEGIN
    INSERT INTO reviews_fts (reviews_fts, rowid, headline, body)
        VALUES ('delete', old.review_id, old.headline, old.body);
END;

CREATE TRIGGER reviews_fts_update AFTER UPDATE OF headline, body ON reviews BEGIN
    INSERT INTO reviews_fts (reviews_fts, rowid, headline, body)
        VALUES ('delete', old.review_id, old.headline, old.body);
    INSERT INTO reviews_fts (rowid, headline, body) VALUES (new.review_id, new.headline, new.body);
END;

CREATE TABLE problems (
    problem_id  INTEGER PRIMARY KEY,
    source_file TEXT NOT NULL,
    line        INTEGER,                        -- NULL = the file as a whole
    message     TEXT NOT NULL,
    recorded_at TEXT NOT NULL                   -- ISO timestamp, UTC
);

-- UNIQUE (source_file, line, message) would let NULL lines repeat: index the line as -1 instead.
CREATE UNIQUE INDEX problems_unique ON problems (source_file, COALESCE(line, -1), message);
