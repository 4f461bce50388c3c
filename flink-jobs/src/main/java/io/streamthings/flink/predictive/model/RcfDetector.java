package io.streamthings.flink.predictive.model;

import com.amazon.randomcutforest.RandomCutForest;

/**
 * Random Cut Forest (Guha et al., ICML 2016; the {@code randomcutforest-core} library) over a shingle of the last
 * {@code shingleSize} inputs of one series: the streaming detector the residual test of {@link SeriesForecaster} is
 * compared with in {@code PredictiveEvaluation}. The input is either the raw reading or the forecaster's signed robust
 * z-score of the residual (then the forest judges the shape of recent surprises rather than the signal itself, which
 * takes the season and the trend out of what it must learn).
 *
 * <p>A plain class with its own state (the forest); not Flink-serializable as it stands, so the job does not keep one
 * per series (see the evaluation for why it does not need to).
 */
public class RcfDetector {

    private final RandomCutForest forest;
    private final double threshold;
    private final double clip;

    /**
     * @param shingleSize consecutive inputs that form one point of the forest
     * @param trees trees of the forest
     * @param sampleSize points each tree keeps (the forest forgets older ones by reservoir sampling)
     * @param threshold score above which an input is anomalous (RCF scores of ordinary points are near 1)
     * @param clip inputs are clipped to [-clip, clip] (a huge value must not stretch every later cut)
     * @param seed the forest's random seed (results repeat)
     */
    public RcfDetector(int shingleSize, int trees, int sampleSize, double threshold, double clip, long seed) {
        if (shingleSize < 1 || trees < 1 || sampleSize < 4 || threshold <= 0 || clip <= 0) {
            throw new IllegalArgumentException("shingleSize and trees must be >= 1, sampleSize >= 4, threshold and "
                    + "clip positive");
        }
        this.forest = RandomCutForest.builder().dimensions(shingleSize).shingleSize(shingleSize)
                .internalShinglingEnabled(true).numberOfTrees(trees).sampleSize(sampleSize).randomSeed(seed)
                .build();
        this.threshold = threshold;
        this.clip = clip;
    }

    /** Scores {@code x} against what the forest has seen (0 while it is still filling), then learns it. */
    public double scoreAndLearn(double x) {
        double[] point = {Math.max(-clip, Math.min(clip, x))};
        double score = forest.getAnomalyScore(point);
        forest.update(point);
        return score;
    }

    /** Whether {@code score} (from {@link #scoreAndLearn}) is anomalous. */
    public boolean anomalous(double score) {
        return score > threshold;
    }
}
