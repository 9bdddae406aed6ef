// The file provider's write pattern from another process, to tell the disk's latency from the silo's: every 2 ms create
// a file, write 16 KiB, fsync, close, rename it over the target. Prints, every 100 writes, the time and that chunk's
// p50 / p90 / max in ms. Run it beside a benchmark (e.g. `bystanders --stores=file`) on the same filesystem:
//   gcc -O2 -o fsync-probe bench/tools/fsync-probe.c && ./fsync-probe /tmp/probe-dir 600
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 3)
    {
        fprintf(stderr, "usage: fsync-probe <directory> <chunks of 100 writes>\n");
        return 2;
    }

    static char buffer[16384];
    double times[100];
    char temporary[512], target[512];
    mkdir(argv[1], 0755);
    snprintf(target, sizeof target, "%s/state.json", argv[1]);
    for (int chunk = 0; chunk < atoi(argv[2]); chunk++)
    {
        for (int i = 0; i < 100; i++)
        {
            snprintf(temporary, sizeof temporary, "%s/%d.tmp", argv[1], i);
            struct timespec start, end;
            clock_gettime(CLOCK_MONOTONIC, &start);
            int file = open(temporary, O_CREAT | O_WRONLY | O_TRUNC, 0644);
            if (file < 0 || write(file, buffer, sizeof buffer) != sizeof buffer || fsync(file) != 0 || close(file) != 0 || rename(temporary, target) != 0)
            {
                perror("write");
                return 1;
            }

            clock_gettime(CLOCK_MONOTONIC, &end);
            times[i] = (end.tv_sec - start.tv_sec) * 1e3 + (end.tv_nsec - start.tv_nsec) / 1e6;
            usleep(2000);
        }

        qsort(times, 100, sizeof(double), compare);
        time_t now = time(NULL);
        struct tm *local = localtime(&now);
        printf("%02d:%02d:%02d p50 %.2f p90 %.2f max %.2f\n", local->tm_hour, local->tm_min, local->tm_sec, times[50], times[90], times[99]);
        fflush(stdout);
    }

    return 0;
}
