/* pause: the first process of every pod sandbox, the one that holds the pod's namespaces.
 *
 * It does nothing: it sleeps until the runtime stops it (SIGINT or SIGTERM; containerd
 * sends SIGKILL, which needs no handler), and reaps any child that dies, since it is PID 1
 * when the pod shares one PID namespace. Kubernetes' own pause does the same in ~70 lines.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int signal_number) {
    (void)signal_number;
    _exit(0);
}

static void reap(int signal_number) {
    (void)signal_number;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

int main(void) {
    struct sigaction action = {0};

    action.sa_handler = stop;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    action.sa_handler = reap;
    action.sa_flags = SA_NOCLDSTOP | SA_RESTART;
    sigaction(SIGCHLD, &action, NULL);
    for (;;) {
        pause();
    }
}
