# Shared by the ducha-cycle cases: a data root holding a copy of the shipped 2023 input.
make_root() {
    mkdir -p root/input
    cp -R "$DUCHA_TOP/input/2023" root/input/2023
}

# The files of a cycle's output folder, sorted, without run.log (which holds timings).
outputs() {
    (cd "root/output/2023/$1" && find . -type f ! -name run.log | sort)
}
