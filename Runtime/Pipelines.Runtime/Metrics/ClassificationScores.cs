namespace Pipelines.Metrics;

/// <summary>Precision, recall and F1 from a confusion matrix (0 where a ratio has no denominator, as scikit-learn's zero_division=0).</summary>
internal static class ClassificationScores
{
    public static double Precision(long[,] m, Averaging averaging) => Score(m, averaging, (tp, fp, fn) => Ratio(tp, tp + fp));

    public static double Recall(long[,] m, Averaging averaging) => Score(m, averaging, (tp, fp, fn) => Ratio(tp, tp + fn));

    public static double F1(long[,] m, Averaging averaging) => Score(m, averaging, (tp, fp, fn) => Ratio(2 * tp, 2 * tp + fp + fn));

    static double Ratio(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;

    static double Score(long[,] m, Averaging averaging, Func<double, double, double, double> score)
    {
        var n = m.GetLength(0);
        double sumTp = 0, sumFp = 0, sumFn = 0, macro = 0;
        for (var c = 0; c < n; c++)
        {
            double tp = m[c, c], fp = 0, fn = 0;
            for (var k = 0; k < n; k++)
            {
                if (k == c)
                    continue;
                fp += m[k, c];
                fn += m[c, k];
            }
            macro += score(tp, fp, fn);
            sumTp += tp;
            sumFp += fp;
            sumFn += fn;
        }
        return averaging == Averaging.Macro ? macro / n : score(sumTp, sumFp, sumFn);
    }
}
