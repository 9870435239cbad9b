-- reelsense PostgreSQL schema, version 2: model scores of reviews.
-- One row per review and model version; the final rating says where it came from.

CREATE TABLE models (
    model_version text PRIMARY KEY,
    metadata      text NOT NULL,            -- JSON: training data, metrics, features
    registered_at timestamptz NOT NULL      -- the last registration; the latest is current
);

CREATE TABLE analyses (
    review_id            bigint NOT NULL REFERENCES reviews (review_id) ON DELETE CASCADE,
    model_version        text NOT NULL REFERENCES models (model_version),
    polarity             text NOT NULL CHECK (polarity IN ('positive', 'negative')),
    p_positive           double precision NOT NULL,
    predicted_rating     integer NOT NULL,
    predicted_confidence double precision NOT NULL,
    final_rating         double precision NOT NULL,  -- given > stated > predicted
    rating_source        text NOT NULL CHECK (rating_source IN ('given', 'stated', 'predicted')),
    rating_confidence    double precision NOT NULL,
    analyzed_at          timestamptz NOT NULL,
    PRIMARY KEY (review_id, model_version)
);

CREATE INDEX analyses_model_polarity ON analyses (model_version, polarity);
