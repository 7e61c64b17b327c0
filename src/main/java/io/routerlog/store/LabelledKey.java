package io.routerlog.store;

/** A counter key made of label values, in a fixed order, which is how exporters show it. */
public interface LabelledKey {
    int labelCount();

    String label(int i);
}
