-- reelsense PostgreSQL schema, version 3: what each review says about each aspect of the film.

CREATE TABLE aspect_mentions (
    review_id     bigint NOT NULL REFERENCES reviews (review_id) ON DELETE CASCADE,
    model_version text NOT NULL REFERENCES models (model_version),
    sentence      integer NOT NULL,         -- index of the sentence in the review text
    aspect        text NOT NULL,            -- docs/ASPECTS.md: acting, story, music, ...
    polarity      text NOT NULL CHECK (polarity IN ('positive', 'negative', 'neutral')),
    score         double precision NOT NULL,
    sentence_text text NOT NULL,
    PRIMARY KEY (review_id, model_version, sentence, aspect)
);

CREATE INDEX aspect_mentions_model_aspect ON aspect_mentions (model_version, aspect, polarity);
