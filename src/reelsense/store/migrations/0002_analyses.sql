-- reelsense schema, version 2: model scores of reviews.
-- One row per review and model version; the final rating says where it came from.

CREATE TABLE models (
    model_version TEXT PRIMARY KEY NOT NULL,
    metadata      TEXT NOT NULL,            -- JSON: training data, metrics, features
    registered_at TEXT NOT NULL             -- ISO timestamp of the first analyze with it
);

CREATE TABLE analyses (
    review_id            INTEGER NOT NULL REFERENCES reviews (review_id) ON DELETE CASCADE,
    model_version        TEXT NOT NULL REFERENCES models (model_version),
    polarity             TEXT NOT NULL CHECK (polarity IN ('positive', 'negative')),
    p_positive           REAL NOT NULL,     -- calibrated probability the review is positive
    predicted_rating     INTEGER NOT NULL,  -- the model's 1-10 rating
    predicted_confidence REAL NOT NULL,     -- model's P(true rating within +-1 of it)
    final_rating         REAL NOT NULL,     -- given > stated > predicted
    rating_source        TEXT NOT NULL CHECK (rating_source IN ('given', 'stated', 'predicted')),
    rating_confidence    REAL NOT NULL,     -- 1.0 given; measured agreement for stated
    analyzed_at          TEXT NOT NULL,
    PRIMARY KEY (review_id, model_version)
);

CREATE INDEX analyses_model_polarity ON analyses (model_version, polarity);
