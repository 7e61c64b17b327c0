package io.routerlog.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Weighs what was seen of a domain ({@link DomainActivity}) into a score with the reasons behind it. Each sign that
 * published tunnel detectors rely on adds points: many distinct names below one domain, long and random-looking
 * labels, the information the distinct names could carry, a high share of TXT/NULL queries or of NXDOMAIN replies.
 * A domain is a suspect when its score reaches the threshold and it was asked for enough distinct names for data to
 * move at all; ordinary traffic (hashed CDN names, many short names, service names) stays below (see
 * docs/DETECTION.md for the measurements behind each number).
 */
public final class TunnelScore {
    /** Fewer distinct names than this carry too little to be a tunnel, whatever they look like. */
    public static final int MIN_DISTINCT = 30;

    public static final double DEFAULT_THRESHOLD = 7;

    private TunnelScore() {}

    /** A score and its reasons, in a fixed order. */
    public record Verdict(double score, List<String> reasons) {
        public Verdict {
            reasons = List.copyOf(reasons);
        }
    }

    public static Verdict of(DomainActivity a) {
        DistinctSample names = a.names();
        long distinct = a.distinct();
        double length = names.meanLength();
        double label = names.meanLongestLabel();
        double entropy = names.meanEntropy();
        long information = a.information();
        List<String> reasons = new ArrayList<>();
        double score = 0;
        if (distinct >= 300) {
            score += 3;
            reasons.add("many unique subdomains");
        } else if (distinct >= 100) {
            score += 2;
            reasons.add("many unique subdomains");
        } else if (distinct >= MIN_DISTINCT) {
            score += 1;
            reasons.add("many unique subdomains");
        }
        if (entropy >= 4.0 || (entropy >= 3.6 && length >= 24)) {
            score += 2;
            reasons.add("high label entropy");
        }
        if (label >= 40) {
            score += 3;
            reasons.add("long labels");
        } else if (length >= 30) {
            score += 1;
            reasons.add("long names");
        }
        if (information >= 64 * 1024) {
            score += 2;
            reasons.add("large information volume");
        } else if (information >= 16 * 1024) {
            score += 1;
            reasons.add("large information volume");
        }
        if (a.unprintable() >= 20) {
            score += 3;
            reasons.add("unprintable names");
        }
        if (a.queries() >= 20 && a.unusual() * 2 >= a.queries()) {
            score += 2;
            reasons.add("TXT/NULL queries");
        }
        if (a.queries() >= 20 && a.nxdomain() * 2 >= a.queries()) {
            score += 1;
            reasons.add("many NXDOMAIN replies");
        }
        if (distinct >= MIN_DISTINCT && distinct * 10 >= a.queries() * 7) {
            score += 1;
            reasons.add("mostly unique names");
        }
        return new Verdict(score, reasons);
    }

    /** Whether a domain with this activity and verdict is a suspect at {@code threshold}. */
    public static boolean suspect(DomainActivity a, Verdict v, double threshold) {
        return a.distinct() >= MIN_DISTINCT && v.score() >= threshold;
    }
}
