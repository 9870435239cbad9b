-- reelsense schema, version 3: what each review says about each aspect of the film.

CREATE TABLE aspect_mentions (
    review_id     INTEGER NOT NULL REFERENCES reviews (review_id) ON DELETE CASCADE,
    model_version TEXT NOT NULL REFERENCES models (model_version),
    sentence      INTEGER NOT NULL,         -- index of the sentence in the review text
    aspect        TEXT NOT NULL,            -- docs/ASPECTS.md: acting, story, music, ...
    polarity      TEXT NOT NULL CHECK (polarity IN ('positive', 'negative', 'neutral')),
    score         REAL NOT NULL,            -- P(positive) of the sentence for this aspect
    sentence_text TEXT NOT NULL,            -- the sentence, for quotes
    PRIMARY KEY (review_id, model_version, sentence, aspect)
);

CREATE INDEX aspect_mentions_model_aspect ON aspect_mentions (model_version, aspect, polarity);
